/** What a page posts to a waiting service worker when the person chose "Nu bijwerken". */
export const SKIP_WAITING = 'noaber:skip-waiting';
