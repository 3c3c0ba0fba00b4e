// A server bound beyond loopback wants a bearer token. The browser keeps it in the `authorization`
// cookie the server also accepts (as Argo's UI does), so EventSource streams and links carry it
// too, which a header could not.

export function setToken(token: string): void {
  const value = /^bearer\s/i.test(token.trim()) ? token.trim() : `Bearer ${token.trim()}`;
  document.cookie = `authorization=${encodeURIComponent(value)}; path=/; SameSite=Strict`;
}

export function clearToken(): void {
  document.cookie = 'authorization=; path=/; max-age=0; SameSite=Strict';
}
