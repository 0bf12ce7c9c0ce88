/** A 1-based source range: `file:line:col` to `endLine:endCol` (end is exclusive). */
export interface Span {
  file: string;
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

/** A value from the file together with where it was written. */
export interface Located<T> {
  value: T;
  span: Span;
}
