/**
 * SM2 verification that shares no code with the hub: OpenSSL's command line, told the signer
 * ID explicitly (`-pkeyopt distid:`), and the npm package sm-crypto (its own curve arithmetic).
 * A signature both accept is one that other institutions' software accepts.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import smCrypto from "sm-crypto";

export const STANDARD_SIGNER_ID = "1234567812345678";

/** Whether `openssl pkeyutl -verify -rawin -digest sm3 -pkeyopt distid:<id>` accepts the base64 DER signature. */
export function opensslVerifies(publicKeyPem: string, data: string, signatureBase64: string, signerId = STANDARD_SIGNER_ID): boolean {
  const dir = mkdtempSync(join(tmpdir(), "sm2-openssl-"));
  try {
    writeFileSync(join(dir, "public.pem"), publicKeyPem);
    writeFileSync(join(dir, "data"), data);
    writeFileSync(join(dir, "signature"), Buffer.from(signatureBase64, "base64"));
    const args = ["pkeyutl", "-verify", "-pubin", "-inkey", join(dir, "public.pem"), "-rawin", "-digest", "sm3"];
    const out = execFileSync(
      "openssl",
      [...args, "-pkeyopt", `distid:${signerId}`, "-in", join(dir, "data"), "-sigfile", join(dir, "signature")],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    return out.toString().includes("Signature Verified Successfully");
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether sm-crypto accepts the base64 DER signature; `publicKeyHex` is 04‖x‖y. */
export function smCryptoVerifies(publicKeyHex: string, data: string, signatureBase64: string, signerId = STANDARD_SIGNER_ID): boolean {
  const signature = Buffer.from(signatureBase64, "base64").toString("hex");
  return smCrypto.sm2.doVerifySignature(data, signature, publicKeyHex, { hash: true, der: true, userId: signerId });
}

/** A key pair and a base64 DER signature made by sm-crypto, for the hub to verify. */
export function smCryptoSigned(data: string, signerId = STANDARD_SIGNER_ID) {
  const { privateKey, publicKey } = smCrypto.sm2.generateKeyPairHex();
  const signature = smCrypto.sm2.doSignature(data, privateKey, { hash: true, der: true, userId: signerId, publicKey });
  return { privateKeyHex: privateKey, publicKeyHex: publicKey, signature: Buffer.from(signature, "hex").toString("base64") };
}
