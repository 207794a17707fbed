/** Label and field selectors, as the real API server parses them. */
export { parseFieldSelector } from "./field-selector.js";
export { parseLabelSelector } from "./label-selector.js";
