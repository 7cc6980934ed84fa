"""A know-your-rights chatbot about tax-filing privacy that answers only from vetted explainers."""

__version__ = "0.1.0"
