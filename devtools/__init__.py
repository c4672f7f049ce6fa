"""Developer tools, not part of the app: the seed converter (``python -m devtools.seed_convert``)
and the synthetic data generator (``python -m devtools.synthetic``). The app never imports them."""
