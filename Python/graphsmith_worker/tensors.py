"""Tensors across the worker host's boundary: ONNX TensorProto `.pb` files to numpy arrays and back, bfloat16 as
ml_dtypes.bfloat16 arrays (numpy has no bfloat16 of its own)."""

import os

def _ml_dtypes():
    try:
        import ml_dtypes
        return ml_dtypes
    except ImportError:
        return None


def read_tensor(path):
    import numpy as np
    import onnx
    from onnx import numpy_helper

    t = onnx.TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    mld = _ml_dtypes()
    if t.data_type == onnx.TensorProto.BFLOAT16 and mld is not None:
        if t.HasField("raw_data"):
            bits = np.frombuffer(t.raw_data, dtype="<u2")
        else:  # bfloat16 values stored in int32_data, one per element
            bits = np.asarray(t.int32_data, dtype=np.uint32).astype("<u2")
        return bits.reshape(tuple(t.dims)).view(mld.bfloat16).copy()
    return numpy_helper.to_array(t)


def tensor_type(array):
    """The TensorProto data type of a numpy array."""
    import onnx
    from onnx import helper

    mld = _ml_dtypes()
    if mld is not None and array.dtype == mld.bfloat16:
        return onnx.TensorProto.BFLOAT16
    return helper.np_dtype_to_tensor_dtype(array.dtype)


def write_tensor(array, name, path):
    import numpy as np
    import onnx
    from onnx import numpy_helper

    if tensor_type(array) == onnx.TensorProto.BFLOAT16:
        t = onnx.TensorProto(name=name, data_type=onnx.TensorProto.BFLOAT16, dims=array.shape)
        t.raw_data = np.asarray(array, order="C").view("<u2").tobytes()
    else:
        t = numpy_helper.from_array(np.asarray(array, order="C"), name)
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "wb") as f:
        f.write(t.SerializeToString())
    os.replace(tmp, path)
