"""The web chat page: a static single page, its JSON endpoint and a safe route for chart images."""

from connectors.web.page import WebQuestion, mount_web_page

__all__ = ["WebQuestion", "mount_web_page"]
