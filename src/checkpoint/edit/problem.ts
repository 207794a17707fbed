/** Why an edit cannot apply, before the file and step are known; wrapped into an EditError by the caller. */
export class EditProblem extends Error {
  constructor(
    message: string,
    readonly path?: string,
  ) {
    super(message);
    this.name = "EditProblem";
  }
}
