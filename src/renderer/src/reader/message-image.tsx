import { formatCount } from '../format'
import type { ImagePart } from './message-parts'

/** An image a message carried: its size and type, where the import did not keep its bytes. */
export function MessageImage({ image }: { readonly image: ImagePart }) {
  return (
    <figure className="message-image missing" data-testid="message-image">
      <span aria-hidden="true">🖼</span>
      <figcaption>
        Image{image.mediaType ? ` (${image.mediaType})` : ''},{' '}
        {formatCount(Math.max(1, Math.round(image.bytes / 1024)))} KB: not kept by this import
      </figcaption>
    </figure>
  )
}
