/**
 * HMAC-SM3 as the agencies use it: hex of HMAC-SM3(shared secret, exact bytes).
 * SM3 rather than SHA-256 because government exchange must use the national
 * algorithms (密码法 art. 27; GB/T 39786-2021).
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export function signHmacSm3(secret: string, data: string): string {
  return createHmac("sm3", secret).update(data, "utf8").digest("hex");
}

/**
 * Compares digests in constant time so a forger learns nothing from how fast a
 * guess is rejected. A signature that is not 64 hex digits is rejected before
 * the comparison: Buffer.from(…, "hex") would silently drop bad characters.
 * An empty secret verifies nothing: anyone can compute an HMAC with it, and a route configured
 * without its secret must not accept every such forgery.
 */
export function verifyHmacSm3(secret: string, data: string, signature: string | undefined): boolean {
  if (secret === "" || signature === undefined || !/^[0-9a-fA-F]{64}$/.test(signature)) return false;
  const expected = createHmac("sm3", secret).update(data, "utf8").digest();
  return timingSafeEqual(expected, Buffer.from(signature, "hex"));
}
