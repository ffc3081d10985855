// Saves bytes as a file through a temporary link (the browser's download).
export function download(bytes: Uint8Array, fileName: string, type = 'application/zip'): void {
  const blob = new Blob([bytes as BlobPart], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // some browsers read the blob after the click returns: revoke the URL a while later
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
