// The labelling author's name, remembered in this browser (localStorage).
const KEY = 'barstream.trendLabels.author';

export function storedAuthor(): string {
  try {
    return window.localStorage.getItem(KEY) ?? '';
  } catch {
    return ''; // storage disabled: labels are unnamed
  }
}

export function saveAuthor(author: string): void {
  try {
    window.localStorage.setItem(KEY, author);
  } catch {
    // storage disabled: the name lasts for this page only
  }
}
