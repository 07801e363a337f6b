/**
 * A live stream's target URL as it may be shown or stored: the scheme, host and app path stay, the stream
 * key (the URL's last path segment, as RTMP services and Egress read it) keeps only its last 4 characters,
 * and anything else that can carry a secret (user info, query, librtmp options after a space) is masked.
 */
const MASK = '****';
const SHOWN = 4;

export function maskStreamUrl(raw: string): string {
  // librtmp options (`rtmp://host/app/key live=1`) follow a space and may hold credentials (pubPasswd=).
  const [address = '', ...options] = raw.trim().split(/\s+/);
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    // Not a URL: nothing in it can be told apart from the key.
    return MASK;
  }
  if (!url.host) return `${url.protocol}${MASK}`;
  const segments = url.pathname.split('/');
  const key = segments.pop() ?? '';
  const masked = key ? maskKey(decodeSafely(key)) : '';
  const user = url.username || url.password ? `${MASK}@` : '';
  const query = url.search ? `?${MASK}` : '';
  const rest = options.length ? ` ${MASK}` : '';
  return `${url.protocol}//${user}${url.host}${[...segments, masked].join('/')}${query}${rest}`;
}

/** A key of 8 characters or fewer is hidden entirely: its last 4 would be half of it. */
function maskKey(key: string): string {
  return key.length > 2 * SHOWN ? `${MASK}${key.slice(-SHOWN)}` : MASK;
}

function decodeSafely(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
