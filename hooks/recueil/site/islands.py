"""HTML that the templates have already rendered, kept away from the Markdown converter.

Python-Markdown's `md_in_html` re-reads every HTML block character by character; the cards,
metadata blocks, lists and the compendium page are HTML already. A template wraps such a block
in `{% filter island %}…{% endfilter %}`: the page's Markdown then holds one HTML comment naming
the block, and the hook puts the block back into the converted page (`Islands.restore`). Without
an `Islands` (exported trees, built with no hook), the filter leaves the HTML in the Markdown.
"""

from __future__ import annotations

import hashlib
import re

from markupsafe import Markup


class Islands:
    """The prepared HTML blocks of one build, named by a hash of their content (so a page's Markdown
    stays the same from one rebuild to the next while its blocks do); `marker` is the build's secret."""

    def __init__(self, marker: str) -> None:
        self.marker = marker
        self.blocks: dict[str, str] = {}
        self._found = re.compile(rf"<!--{re.escape(marker)}-ilot-([0-9a-f]+)-->")

    def put(self, html: str) -> Markup:
        """The Markdown that stands for `html`: an HTML comment alone between blank lines."""
        # Named without the marker, which changes at each build: a block holding another keeps its name.
        name = hashlib.blake2b(str(html).replace(self.marker, "").encode(), digest_size=12).hexdigest()
        self.blocks[name] = str(html)
        return Markup(f"\n\n<!--{self.marker}-ilot-{name}-->\n\n")

    def used_in(self, markdown: str) -> dict[str, str]:
        """The blocks `markdown` stands for, those they hold included."""
        found: dict[str, str] = {}
        pending = [markdown]
        while pending:
            for name in self._found.findall(pending.pop()):
                if name not in found:
                    found[name] = self.blocks[name]
                    pending.append(found[name])
        return found

    def restore(self, html: str) -> str:
        """The converted page with every placeholder replaced by its block (blocks may nest)."""
        return self._found.sub(lambda found: self.restore(self.blocks[found[1]]), html)
