/** Paged search connections (filled in by the search module). */
export function searchResolvers(): Function[] {
  return [];
}
