export { createMasker, MASK, MIN_SECRET_LENGTH } from './masker.js';
export { createCapture, readCapture } from './capture.js';
export type { Capture } from './capture.js';
export type { Masker } from './masker.js';
export { createStreamMasker } from './stream-masker.js';
export type { StreamMasker } from './stream-masker.js';
export { openStepOutput, DEFAULT_CAPTURE_LIMIT_BYTES, DEFAULT_TAIL_LINES } from './step-output.js';
export type {
  CapturedOutput,
  OutputSink,
  OutputStreamName,
  StepOutput,
  StepOutputOptions,
} from './step-output.js';
export { safeFileName } from './file-name.js';
export { checkOutputDir, MIN_FREE_BYTES } from './output-dir.js';
export { openFileWriter } from './file-writer.js';
export type { FileWriter, FileWriterOptions } from './file-writer.js';
export { createLineSplitter, MAX_LINE_CHARS } from './lines.js';
export type { LineSplitter } from './lines.js';
