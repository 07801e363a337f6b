/**
 * Saves a blob as a file through a temporary `<a download>`: the only way to keep the Bearer token out of
 * a URL. The object URL lives a little while after the click, as some browsers read it only then.
 */
export function saveFile(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
