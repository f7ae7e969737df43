"""/api/v1/docs: the OpenAPI document shown by Swagger UI, served from static/vendor (no CDN)."""
from flask import Blueprint, render_template

blueprint = Blueprint("api_docs", __name__, url_prefix="/api/v1")

# Swagger UI sets style attributes while it renders; scripts stay limited to this site's own files
DOCS_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


@blueprint.get("/docs")
def docs():
    return render_template("api/docs.html"), 200, {"Content-Security-Policy": DOCS_CSP}
