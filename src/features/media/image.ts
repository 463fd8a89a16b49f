import sharp, { type Metadata, type Sharp } from "sharp";
import { AppError } from "../../shared/errors.ts";
import { sniffImageType, type ImageType } from "./sniff.ts";

// Decoded pixels are not cached between images: memory stays bounded by the one being processed.
sharp.cache(false);

export interface ProcessedImage {
  bytes: Buffer;
  type: ImageType;
  width: number;
  height: number;
}

export interface ProcessOptions {
  /** Refuse images with more pixels than this (all frames counted), before decoding them. */
  maxPixels: number;
  /** Scale down to fit a square of this size (profile photos). */
  fitWithin?: number;
}

/**
 * Checks and re-encodes an image in its own format. The type comes from the bytes; the header is read first so that a
 * decompression bomb is refused before any pixel is decoded; re-encoding drops every metadata block (EXIF, GPS, XMP).
 */
export async function processImage(input: Buffer, options: ProcessOptions): Promise<ProcessedImage> {
  const type = sniffImageType(input);
  if (!type) throw new AppError("invalid_input", "The image is not a PNG, JPEG, WebP or GIF.");
  const animated = type === "image/gif" || type === "image/webp";
  let header: Metadata;
  try {
    header = await sharp(input, { animated, limitInputPixels: false }).metadata();
  } catch {
    throw new AppError("invalid_input", "The image cannot be read.");
  }
  const width = header.width ?? 0;
  const frameHeight = header.pageHeight ?? header.height ?? 0;
  const pixels = width * frameHeight * (header.pages ?? 1);
  if (!width || !frameHeight) throw new AppError("invalid_input", "The image has no dimensions.");
  if (pixels > options.maxPixels) {
    throw new AppError("payload_too_large", `The image has ${pixels} pixels; at most ${options.maxPixels} are accepted.`);
  }
  try {
    let pipeline = sharp(input, { animated, limitInputPixels: options.maxPixels, failOn: "error" });
    // Apply the EXIF orientation to the pixels, since the EXIF block itself is dropped.
    if (!animated || (header.pages ?? 1) === 1) pipeline = pipeline.autoOrient();
    if (options.fitWithin) {
      pipeline = pipeline.resize(options.fitWithin, options.fitWithin, { fit: "inside", withoutEnlargement: true });
    }
    const bytes = await encode(pipeline, type).toBuffer();
    const out = await sharp(bytes, { animated }).metadata();
    return { bytes, type, width: out.width ?? width, height: out.pageHeight ?? out.height ?? frameHeight };
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError("invalid_input", "The image cannot be decoded.");
  }
}

function encode(pipeline: Sharp, type: ImageType): Sharp {
  switch (type) {
    case "image/png":
      return pipeline.png();
    case "image/jpeg":
      return pipeline.jpeg({ quality: 88 });
    case "image/webp":
      return pipeline.webp({ quality: 85 });
    case "image/gif":
      return pipeline.gif();
  }
}
