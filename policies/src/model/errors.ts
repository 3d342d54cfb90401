/** Input the compiler refuses to turn into policy (the controller reports it as Stalled). */
export class PolicyInputError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = "PolicyInputError";
    this.code = code;
  }
}
