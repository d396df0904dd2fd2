// Routes of the admin pages; each entry is described in main.js.
export const routes = [];
