"""Hostile sheet bodies shared by the sanitiser and XSS tests: each must end inert on every page."""

MARK = "window.__xss=(window.__xss||0)+1"
TRACKER = "https://pixel.tracker.test"

# One payload per line group; each must be inert once built, and each is reported by the checker.
PAYLOADS = [
    f"<img src=x\nonerror={MARK}>",
    f"<details open\nontoggle={MARK}>\n<summary>Ouvert</summary>\n</details>",
    f'<a href="java\nscript:{MARK}">lien coupé</a>',
    f'<a href="&#x6A;ava&#9;script&colon;{MARK}">lien codé</a>',
    f'<a href="\x01 JaVaScRiPt:{MARK}">lien précédé d\'un contrôle</a>',
    f"[lien Markdown](javascript:{MARK})",
    f"[lien par référence][piege]\n\n[piege]: vbscript:{MARK}",
    f"![pixel]({TRACKER}/a.gif)",
    f"![pixel par référence][image]\n\n[image]: {TRACKER}/b.gif",
    f'<img src="{TRACKER}/c.gif" alt="">',
    '<img src="//pixel.tracker.test/d.gif" alt="">',
    '<img src="/\\pixel.tracker.test/e.gif" alt="">',
    f'<img srcset="{TRACKER}/f.gif 1x" alt="">',
    f'<p style="background:url({TRACKER}/g.gif)">fond</p>',
    f"<svg><script>{MARK}</script></svg>",
    f"<svg/onload={MARK}>",
    f'<iframe srcdoc="<script>{MARK}</script>"></iframe>',
    f"<math><mtext><table><mglyph><style><img src=x onerror={MARK}>",
    f'<form action="javascript:{MARK}"><button>Envoyer</button></form>',
    f'<x-y tabindex="1" autofocus onfocus="{MARK}">focus</x-y>',
    f'<object data="javascript:{MARK}"></object>',
    f'<meta http-equiv="refresh" content="0;url=javascript:{MARK}">',
    f'<base href="{TRACKER}/">',
    f'<link rel="stylesheet" href="{TRACKER}/h.css">',
    f'<video src="{TRACKER}/i.mp4" autoplay muted></video>',
    f'<div markdown="1">\n[dans un bloc](javascript:{MARK})\n</div>',
    f'Un paragraphe décoré {{: onclick="{MARK}" }}',
    '<span id="__search">écrase un identifiant du thème</span>',
    "<!--recueil-corps-0123456789abcdef0123456789abcdef-->",
    f"<p>après le faux marqueur</p><img src=x onerror={MARK}>",
]
HEADING_PAYLOAD = f'## <img src=x onerror={MARK}> section {{: data-toc-label="<img src=x onerror={MARK}>" }}'
