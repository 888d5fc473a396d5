/**
 * Enough of PNG to compare Chromium's screenshots: 8-bit RGB or RGBA,
 * non-interlaced (what Playwright writes), all five row filters.
 */
import { inflateSync } from 'node:zlib'

export interface Image {
  width: number
  height: number
  /** Bytes per pixel: 3 (RGB) or 4 (RGBA). */
  channels: number
  pixels: Uint8Array
}

export function decodePng(png: Buffer): Image {
  const idat: Buffer[] = []
  let width = 0
  let height = 0
  let channels = 0
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at)
    const type = png.toString('latin1', at + 4, at + 8)
    const body = png.subarray(at + 8, at + 8 + length)
    if (type === 'IHDR') {
      width = body.readUInt32BE(0)
      height = body.readUInt32BE(4)
      if (body[8] !== 8 || body[12] !== 0) throw new Error('decodePng: only 8-bit, non-interlaced images')
      channels = body[9] === 6 ? 4 : body[9] === 2 ? 3 : 0
      if (!channels) throw new Error(`decodePng: colour type ${body[9]} is not RGB or RGBA`)
    }
    if (type === 'IDAT') idat.push(body)
    at += 12 + length
  }
  const raw = inflateSync(Buffer.concat(idat))
  const stride = width * channels
  const pixels = new Uint8Array(stride * height)
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!
    const row = y * stride
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? pixels[row + x - channels]! : 0
      const b = y > 0 ? pixels[row - stride + x]! : 0
      const c = x >= channels && y > 0 ? pixels[row - stride + x - channels]! : 0
      const p = a + b - c
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter]!
      pixels[row + x] = (raw[y * (stride + 1) + 1 + x]! + predictor) & 255
    }
  }
  return { width, height, channels, pixels }
}

/** How many pixels of two same-sized screenshots differ by more than `tolerance` in some channel; -1 if the sizes differ. */
export function countDifferentPixels(first: Buffer, second: Buffer, tolerance = 0): number {
  const a = decodePng(first)
  const b = decodePng(second)
  if (a.width !== b.width || a.height !== b.height || a.channels !== b.channels) return -1
  let different = 0
  for (let i = 0; i < a.pixels.length; i += a.channels) {
    for (let k = 0; k < a.channels; k++) {
      if (Math.abs(a.pixels[i + k]! - b.pixels[i + k]!) > tolerance) {
        different++
        break
      }
    }
  }
  return different
}
