export { analyzeShell, stdinText, type AnalyzeOptions } from './walk.js';
export { decodeAnsiC } from './words.js';
export { SHELLS } from './wrappers.js';
