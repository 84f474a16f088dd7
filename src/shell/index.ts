export { analyzeShell, stdinText, FIND_EACH, type AnalyzeOptions } from './walk.js';
export { decodeAnsiC } from './words.js';
export { SHELLS } from './wrappers.js';
