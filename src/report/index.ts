/** The report: statistics, tables and the budgeted tool result of `preview_widget_data`. */
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
