/** A mistake in how a command was invoked: reported in one line with exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}
