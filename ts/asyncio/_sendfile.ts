/** loop.sendfile — placeholder. */
import { NotImplementedError } from "./exceptions.js";
export async function _sendfile(..._a: unknown[]): Promise<number> {
  throw new NotImplementedError("sendfile is not implemented yet");
}
