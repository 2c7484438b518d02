__version__ = "0.0.1"
# Written by hand: nbdev keeps this file apart from its version line. It runs before any module of the package.
import sys as _sys, warnings as _warnings
if _sys.version_info < (3, 10):
    raise ImportError("hierarchical_pets needs Python 3.10 or later, as fastai 2.8.7 does; "
                      f"this is Python {'.'.join(map(str, _sys.version_info[:3]))}.")
# fastai's own import calls `torch.jit.script`, which torch 2.10+ deprecates: a warning for fastai, not for our users.
_warnings.filterwarnings('ignore', message=r'`torch\.jit\.script` is deprecated', category=FutureWarning)
# timm's import (through fastai) loads huggingface_hub's tqdm.auto, which in a Jupyter kernel without ipywidgets warns
# "IProgress not found": a warning about the notebook front end, not about this package, and it prints a machine path.
_warnings.filterwarnings('ignore', message=r'IProgress not found')
