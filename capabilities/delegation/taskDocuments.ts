/**
 * Documents sent with a delegated task or its results (委托函, 裁定书, 协助执行通知书, 回执…): decoded,
 * size-checked and digested (SM3) before anything is written, so that a bad one refuses the whole
 * step.
 */
import { sm3 } from "../../gateway/audit/sm3.js";
import { HubError, invalidField } from "../../gateway/errors.js";

export interface DocumentInput {
  name: string;
  /** The file, base64. */
  contentBase64: string;
}

export interface TaskDocument {
  name: string;
  size: number;
  sm3: string;
  content: Buffer;
}

/**
 * 3 MiB per document by default (local policy): a scanned ruling fits, a video does not; and, base64
 * being 4/3 of it, one such document still fits in the 5 MiB the HTTP front reads of a request
 * (gateway/http/apolloHandler.ts), which also bounds all documents of one request together.
 */
export const DEFAULT_MAX_DOCUMENT_BYTES = 3 * 1024 * 1024;
/** 20 documents with one task or its results by default (local policy): a court's letter with its rulings and notices. */
export const DEFAULT_MAX_DOCUMENTS = 20;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** How many documents one step may carry, and how large each may be. */
export interface DocumentLimits {
  /**
   * Bytes per document, decoded.
   * @default 3145728 (DEFAULT_MAX_DOCUMENT_BYTES)
   */
  maxBytes: number;
  /**
   * Documents with one task, step or result.
   * @default 20 (DEFAULT_MAX_DOCUMENTS)
   */
  maxCount: number;
}

export function readDocuments(inputs: readonly DocumentInput[] | undefined, limits: DocumentLimits): TaskDocument[] {
  const { maxBytes, maxCount } = limits;
  // Counted before any is decoded, so ten thousand documents cost nothing to refuse.
  if ((inputs?.length ?? 0) > maxCount) {
    throw new HubError("TOO_MANY_DOCUMENTS", `documents: more than the ${maxCount} allowed with one step`, {
      field: "documents",
      limit: maxCount,
    });
  }
  return (inputs ?? []).map((input, index) => {
    const field = `documents[${index}]`;
    const name = input.name.trim();
    if (!name || name.length > 200) throw invalidField(`${field}.name`, "a file name of 1 to 200 characters is required");
    const text = input.contentBase64.replace(/\s+/g, "");
    if (!BASE64.test(text) || text.length % 4 !== 0) throw invalidField(`${field}.contentBase64`, "not base64");
    // Refused by its encoded length before decoding, so an oversized upload costs no second copy.
    if ((text.length / 4) * 3 - (text.match(/=+$/)?.[0].length ?? 0) > maxBytes) {
      throw invalidField(`${field}.contentBase64`, `larger than the ${maxBytes} bytes allowed per document`);
    }
    const content = Buffer.from(text, "base64");
    if (content.length === 0) throw invalidField(`${field}.contentBase64`, "the document is empty");
    return { name, size: content.length, sm3: sm3(content), content };
  });
}
