// Routes of the ministry pages; each entry is described in main.js.
export const routes = [];
