"""Helpers every torch module graphsmith writes carries (graphsmith copies this file's text into the module).

They need only torch (and numpy, which torch uses to give bytes): weights decoded from base64 raw bytes, and input and output tensors read and
written as ONNX TensorProto files (raw_data only, as graphsmith writes them) without the onnx package.
"""

import base64
import os
import sys

import torch
import torch.nn.functional as F  # noqa: F401 (the written modules use it)

# ONNX TensorProto data types as torch dtypes.
BY_CODE = {
    1: torch.float32, 2: torch.uint8, 3: torch.int8, 4: torch.uint16, 5: torch.int16, 6: torch.int32, 7: torch.int64,
    9: torch.bool, 10: torch.float16, 11: torch.float64, 12: torch.uint32, 13: torch.uint64, 16: torch.bfloat16,
}
CODES = {dtype: code for code, dtype in BY_CODE.items()}


def from_bytes(raw, dtype, shape):
    """A tensor of `shape` from little-endian element bytes."""
    flat = torch.frombuffer(bytearray(raw), dtype=dtype) if raw else torch.empty(0, dtype=dtype)
    return flat.reshape(shape).clone()


def tensor(dtype, shape, data):
    """A weight: a torch dtype, a shape and base64 of its raw bytes."""
    return from_bytes(base64.b64decode(data), dtype, shape)


def _varint(buf, i):
    value, shift = 0, 0
    while True:
        b = buf[i]
        i += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return value, i


def read_pb(path):
    """(name, tensor) of a TensorProto file with raw_data."""
    with open(path, "rb") as f:
        buf = f.read()
    dims, code, raw, name, i = [], 1, b"", "", 0
    while i < len(buf):
        key, i = _varint(buf, i)
        field, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _varint(buf, i)
            if field == 1:
                dims.append(value)
            elif field == 2:
                code = value
        elif wire == 2:
            n, i = _varint(buf, i)
            chunk, i = buf[i:i + n], i + n
            if field == 1:  # packed dims
                k = 0
                while k < len(chunk):
                    value, k = _varint(chunk, k)
                    dims.append(value)
            elif field == 8:
                name = chunk.decode("utf-8")
            elif field == 9:
                raw = chunk
            elif field in (4, 5, 7, 10, 11):
                raise ValueError(f"{path}: only raw_data tensors are read here (field {field})")
        elif wire == 5:
            i += 4
        elif wire == 1:
            i += 8
        else:
            raise ValueError(f"{path}: not a TensorProto (wire type {wire})")
    if code not in BY_CODE:
        raise ValueError(f"{path}: data type {code} is not supported")
    return name, from_bytes(raw, BY_CODE[code], dims)


def _put_varint(out, value):
    while True:
        b = value & 0x7F
        value >>= 7
        out.append(b | (0x80 if value else 0))
        if not value:
            return


def _field(out, field, wire):
    _put_varint(out, (field << 3) | wire)


def write_pb(path, name, t):
    """Writes `t` as a TensorProto with raw_data (to a temporary name, then renamed)."""
    t = t.detach().cpu().contiguous()
    out = bytearray()
    for d in t.shape:
        _field(out, 1, 0)
        _put_varint(out, int(d))
    _field(out, 2, 0)
    _put_varint(out, CODES[t.dtype])
    encoded = name.encode("utf-8")
    _field(out, 8, 2)
    _put_varint(out, len(encoded))
    out += encoded
    raw = t.reshape(-1).view(torch.uint8).numpy().tobytes() if t.numel() else b""
    _field(out, 9, 2)
    _put_varint(out, len(raw))
    out += raw
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(out)
    os.replace(tmp, path)


def main(model, inputs, outputs):
    """`python model.py [INPUT_DIR [OUTPUT_DIR]]`: reads input_K.pb, runs the model eagerly, writes output_K.pb
    (the ONNX test-data layout; default folder test_data_set_0 beside the file) and prints each output's shape."""
    here = os.path.dirname(os.path.abspath(sys.argv[0]))
    source = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "test_data_set_0")
    target = sys.argv[2] if len(sys.argv) > 2 else source
    feeds = [read_pb(os.path.join(source, f"input_{k}.pb"))[1] for k in range(len(inputs))]
    with torch.no_grad():
        results = model(*feeds)
    for k, (name, value) in enumerate(zip(outputs, results)):
        write_pb(os.path.join(target, f"output_{k}.pb"), name, value)
        print(f"{name}: {value.dtype} {list(value.shape)}")
