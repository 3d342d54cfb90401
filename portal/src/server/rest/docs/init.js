// Loaded as a file, not inline, so the page works under `script-src 'self'`.
window.SwaggerUIBundle({ url: "/api/openapi.json", dom_id: "#reference", deepLinking: true, tryItOutEnabled: false });
