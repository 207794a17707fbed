/** Label and field selectors, as the real API server parses them. */
export { parseFieldSelector } from "./field.js";
export { parseLabelSelector } from "./label.js";
