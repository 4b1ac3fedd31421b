"""The site's outputs: pages, explorer data, open data, feed, charts, contribution form."""
