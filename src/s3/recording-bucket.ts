import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { AppError } from '../errors.js';
import { isPlainFileName, type RecordingFiles } from '../recordings/recording-files.js';

/** The recordings bucket as config `recordings.storage` (kind s3) names it. */
export interface BucketSettings {
  bucket: string;
  region: string;
  /** An S3-compatible server's URL (MinIO, Ceph, Garage, R2); AWS S3 when unset. */
  endpoint?: string;
  forcePathStyle: boolean;
  /** Put before each file's name to make its object key ('' or ending in '/'). */
  prefix: string;
  accessKey: string;
  secret: string;
}

const now = () => Date.now();

/**
 * Recordings in an S3-compatible bucket (the only importer of the AWS SDK): Egress uploads each file under
 * `prefix + fileName`, a signed link answers with a redirect to a presigned GET of it (the bucket stays
 * private, and its server answers the byte ranges), and deleting deletes the object. The tool's key needs
 * s3:GetObject and s3:DeleteObject on the prefix, nothing more; Egress's own key puts the objects.
 */
export function openRecordingBucket(s: BucketSettings): RecordingFiles {
  const client = new S3Client({
    region: s.region,
    ...(s.endpoint ? { endpoint: s.endpoint } : {}),
    forcePathStyle: s.forcePathStyle,
    credentials: { accessKeyId: s.accessKey, secretAccessKey: s.secret },
    // Checksums only where S3 requires them: S3-compatible servers do not all know the newer ones.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
  });
  const key = (fileName: string) => (isPlainFileName(fileName) ? `${s.prefix}${fileName}` : undefined);
  const presign = (objectKey: string, expiresIn: number, headers: { type?: string; disposition?: string } = {}) =>
    getSignedUrl(
      client,
      new GetObjectCommand({
        Bucket: s.bucket,
        Key: objectKey,
        ResponseContentType: headers.type,
        ResponseContentDisposition: headers.disposition,
        ResponseCacheControl: 'private, no-store',
      }),
      { expiresIn },
    );
  let origin: Promise<string> | undefined;

  return {
    where: `s3://${s.bucket}/${s.prefix}`,
    output: (fileName) => ({
      filepath: `${s.prefix}${fileName}`,
      s3: {
        bucket: s.bucket,
        region: s.region,
        forcePathStyle: s.forcePathStyle,
        ...(s.endpoint ? { endpoint: s.endpoint } : {}),
      },
    }),
    // The tool's key reaching the bucket (HeadBucket needs s3:ListBucket, which it has to tell a missing file).
    async check() {
      try {
        await client.send(new HeadBucketCommand({ Bucket: s.bucket }));
      } catch (err) {
        throw unavailable(err);
      }
    },
    async find(fileName) {
      const objectKey = key(fileName);
      if (!objectKey) return undefined;
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket: s.bucket, Key: objectKey }));
        return { sizeBytes: head.ContentLength ?? 0, ...(head.LastModified ? { modifiedAt: head.LastModified } : {}) };
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw unavailable(err);
      }
    },
    async handover(fileName, headers) {
      const objectKey = key(fileName);
      if (!objectKey) return undefined;
      // No HEAD first: the link was minted for a file that was there, and a player's every range request
      // comes through here; a file gone since is the bucket's 404.
      const expiresIn = Math.max(1, Math.ceil((headers.expiresAt.getTime() - now()) / 1000));
      const url = await presign(objectKey, expiresIn, {
        type: headers.contentType,
        disposition: headers.contentDisposition,
      });
      return { kind: 'redirect', url };
    },
    async remove(fileName) {
      const objectKey = key(fileName);
      if (!objectKey) return false;
      // Deleting an object that is not there succeeds: redone after a crash, it changes nothing.
      await client.send(new DeleteObjectCommand({ Bucket: s.bucket, Key: objectKey })).catch((err: unknown) => {
        throw unavailable(err);
      });
      return true;
    },
    // Where presigned URLs point (virtual-hosted or path style, AWS or not), as the SDK builds them.
    mediaOrigin: () => (origin ??= presign(`${s.prefix}origin`, 60).then((url) => new URL(url).origin)),
  };
}

/**
 * The bucket down, unreachable, or refusing the tool's key: a sentence and a 503, the SDK's error as the
 * cause (logged, never answered). AWS answers a missing object with 403 to a key without s3:ListBucket, so
 * that permission turns a missing file into RECORDING_FILE_MISSING (docs/recordings.md).
 */
function unavailable(cause: unknown): AppError {
  return new AppError('RECORDING_STORAGE_UNAVAILABLE', { cause });
}

function isNotFound(err: unknown): boolean {
  return err instanceof S3ServiceException && (err.$metadata.httpStatusCode === 404 || err.name === 'NotFound');
}
