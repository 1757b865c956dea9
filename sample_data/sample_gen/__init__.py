"""The sample-data generator behind sample_data/make_sample_data.py."""
