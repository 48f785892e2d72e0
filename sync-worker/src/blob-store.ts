/**
 * A library's blobs in the R2 bucket, each under `<storeId>/<name>`: the storeId prefix keeps libraries apart in one
 * bucket, and both parts are validated (limits.ts) before they reach a key, so no key escapes its library.
 *
 * A blob is content-addressed: its name is the client's keyed hash of the plaintext, so whatever is stored under a
 * name is a valid ciphertext of that plaintext, and the first upload is kept. The put is conditional
 * (`If-None-Match: *`), which R2 decides atomically: two machines uploading the same body at once store it once.
 */
export type PutOutcome = 'stored' | 'already-stored'

const OCTET_STREAM = { contentType: 'application/octet-stream' }

export function blobKey(storeId: string, name: string): string {
  return `${storeId}/${name}`
}

export async function putBlob(
  bucket: R2Bucket,
  key: string,
  body: ReadableStream | Uint8Array,
): Promise<PutOutcome> {
  const stored = await bucket.put(key, body, {
    onlyIf: new Headers({ 'if-none-match': '*' }),
    httpMetadata: OCTET_STREAM,
  })
  return stored === null ? 'already-stored' : 'stored'
}

/** The names of `names` with nothing stored under them, in the order asked. */
export async function missingBlobs(
  bucket: R2Bucket,
  storeId: string,
  names: readonly string[],
): Promise<string[]> {
  const found = await Promise.all(names.map((name) => bucket.head(blobKey(storeId, name))))
  return names.filter((_, index) => found[index] === null)
}
