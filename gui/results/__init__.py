"""The result views: headline, bubble score, payback table, charts, deal network."""
