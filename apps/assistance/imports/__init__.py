"""Excel import kinds of the assistance app, one module per area; importing the package registers them all."""

import importlib
import pkgutil

for module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{module.name}")
