"""The compiled kernels are found again in numba's cache by a new process."""

from __future__ import annotations

import pickle

import pytest

from model import kernel_params


@pytest.mark.parametrize("cls", [*kernel_params.GROUP_TYPES.values(), kernel_params.Derived,
                                 kernel_params.KernelParams], ids=lambda cls: cls.__name__)
def test_every_kernel_parameter_type_is_found_by_its_module_and_name(cls: type) -> None:
    # numba keys a cached kernel by its argument types; a tuple type that cannot be found by
    # name is stored by value and never matches again, so every process recompiles
    assert pickle.loads(pickle.dumps(cls)) is cls
