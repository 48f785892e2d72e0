import { formatCount } from '../format'
import { useImage } from './image-loader'
import type { ImagePart } from './message-parts'

const describe = (image: ImagePart) =>
  `Image${image.mediaType ? ` (${image.mediaType})` : ''}, ${formatCount(Math.max(1, Math.round(image.bytes / 1024)))} KB`

/**
 * An image a message carried: drawn when the import kept it; otherwise its type and size, and why it is not here
 * (too large, not a raster image, or imported on another device, which syncs references only).
 */
export function MessageImage({ image }: { readonly image: ImagePart }) {
  const { url, missing } = useImage(image.sha256)
  if (url)
    return (
      <figure className="message-image" data-testid="message-image" data-state="shown">
        <a href={url} target="_blank" rel="noreferrer noopener" title="Open at full size">
          <img src={url} alt={describe(image)} loading="lazy" />
        </a>
      </figure>
    )
  return (
    <figure
      className="message-image missing"
      data-testid="message-image"
      data-state={missing ? 'missing' : 'loading'}
    >
      <span aria-hidden="true">🖼</span>
      <figcaption>
        {missing ? `${describe(image)}: not kept on this device` : `${describe(image)}…`}
      </figcaption>
    </figure>
  )
}
