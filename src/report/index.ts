/** The report: statistics, tables and the budgeted tool results (`preview_widget_data` and the dashboard tools). */
export { DEFAULT_BUDGET_CHARS } from "../shared/limits.js";
export {
  type AnswerInput,
  answerSize,
  buildAnswer,
  type DataSource,
  type ErrorAnswer,
  errorAnswer,
  type ToolAnswer,
  type Truncation,
} from "./answer.js";
export {
  type ListingAnswer,
  listingAnswer,
  type WidgetPart,
  type WidgetsAnswer,
  widgetsAnswer,
} from "./dashboards.js";
export { describeSavedFilter } from "./describe.js";
