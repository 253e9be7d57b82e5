/** The report: statistics, tables and the budgeted tool result of `preview_widget_data`. */
export {
  type AnswerInput,
  answerSize,
  buildAnswer,
  type DataSource,
  DEFAULT_BUDGET_CHARS,
  type ErrorAnswer,
  errorAnswer,
  type ToolAnswer,
  type Truncation,
} from "./answer.js";
