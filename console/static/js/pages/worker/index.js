// Routes of the worker pages; each entry is described in main.js.
export const routes = [];
