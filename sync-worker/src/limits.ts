/**
 * What the Worker accepts, in one place so the README, the errors and the tests agree.
 *
 * A library's storeId is a path segment and a Durable Object name: a short, URL-safe identifier leaves no room for
 * path tricks or unbounded names. The token is an RFC 6750 bearer token, long enough to be a derived secret.
 * HTTP bodies are tiny: a claim needs none, and the sync traffic itself flows as WebSocket frames (sync-cf caps those
 * at 900,000 bytes), so anything beyond a few bytes is refused before it is read.
 */
export const STORE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/
export const STORE_ID_RULE =
  '1 to 128 characters: letters, digits, "-" and "_", starting with a letter or digit'

export const TOKEN_PATTERN = /^[A-Za-z0-9\-._~+/]+=*$/
export const TOKEN_MIN_LENGTH = 32
export const TOKEN_MAX_LENGTH = 512

export const MAX_BODY_BYTES = 1024

/**
 * Message bodies and images travel as blobs (blob-routes.ts), named by the client's keyed SHA-256 of the plaintext
 * in lowercase hex, stored as ciphertext the Worker cannot read. The largest plaintext a client keeps is an image of
 * up to 25 MiB (src/main/images/image-store.ts, MAX_IMAGE_BYTES); a body with long tool output is far smaller. The
 * limit leaves 7 MiB for the encryption's nonce, tag and framing, and stays well under Cloudflare's 100 MB request
 * body limit of the Free and Pro plans. A body sent without Content-Length is buffered up to this limit (R2 stores a
 * stream only of known length): 32 MiB of a Worker's 128 MB.
 */
export const BLOB_NAME_PATTERN = /^[0-9a-f]{64}$/
export const BLOB_NAME_RULE = '64 lowercase hexadecimal characters (a SHA-256)'
export const MAX_BLOB_BYTES = 32 * 1024 * 1024
/**
 * `POST .../blobs/missing` asks about this many names at most: each is one R2 lookup, which Cloudflare counts as a
 * subrequest, and a Worker on the Free plan may make 50 per request (Workers limits page); 40 leaves room for the
 * claim check and a margin. The body is the JSON array of as many names ("<64 hex>", with commas, 2,682 bytes)
 * plus room for whitespace.
 */
export const MAX_MISSING_NAMES = 40
export const MAX_MISSING_BODY_BYTES = 4096

/**
 * What a relay says about itself when it opens the sync socket (presence.ts). A machine id is the device's id
 * (a UUID today); a version is the app's semver. A sealed name is base64url of AES-GCM output under a key the
 * Worker does not have: nonce, the name of at most 100 characters (up to 400 UTF-8 bytes), tag.
 */
export const MACHINE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/
export const MACHINE_ID_RULE =
  '1 to 64 characters: letters, digits, "-" and "_", starting with a letter or digit'
export const VERSION_PATTERN = /^[0-9A-Za-z][0-9A-Za-z.+-]{0,31}$/
export const VERSION_RULE = '1 to 32 characters: letters, digits, ".", "+" and "-"'
export const SEALED_NAME_PATTERN = /^[A-Za-z0-9_-]{1,600}$/
/** A library's machines kept by its Durable Object; presence-store.ts says what happens at the cap. */
export const MAX_MACHINES_PER_LIBRARY = 64

/** Where `chronicle sync setup` sends the worker's claim secret, when the worker has one (index.ts). */
export const CLAIM_SECRET_HEADER = 'x-chronicle-claim-secret'
