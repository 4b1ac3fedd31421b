"""The printable compendium: its model and HTML, the PDF laid out, cached and assembled."""
