/** The documented ceiling of a portable flow file (UTF-8 bytes): a flow at the model's 2,000-step limit fits. Its own module so the browser can check a file before sending it without loading the parser. */
export const MAX_PORTABLE_FLOW_BYTES = 1024 * 1024;
