"""The MNIST-1D baselines as the authors wrote them (notebooks/models.py), with a width multiplier."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


def conv(h: torch.Tensor, layer: nn.Conv1d) -> torch.Tensor:
    """A 1-D convolution as im2col and one matrix product, on (batch, length, channels) tensors.
    Same numbers as F.conv1d (to float32 rounding, see tests); about 25% faster to train on one CPU
    thread for these tiny layers, where MKL-DNN's convolution backward dominates a step."""
    k, stride, pad = layer.kernel_size[0], layer.stride[0], layer.padding[0]
    cols = F.pad(h, (0, 0, pad, pad)).unfold(1, k, stride)  # (batch, out length, channels, k)
    return F.linear(cols.flatten(2), layer.weight.flatten(1), layer.bias)


class MLP(nn.Module):
    """40 -> h -> h (residual) -> 10, h = 100 x width (15,210 parameters at width 1)."""

    def __init__(self, width: float = 1.0) -> None:
        super().__init__()
        hidden = max(1, round(100 * width))
        self.linear1, self.linear2, self.linear3 = nn.Linear(40, hidden), nn.Linear(hidden, hidden), nn.Linear(hidden, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.linear1(x).relu()
        h = h + self.linear2(h).relu()
        return self.linear3(h)


class CNN(nn.Module):
    """Three stride-2 convolutions (kernels 5, 3, 3) of c = 25 x width channels, then a linear layer
    (5,210 parameters at width 1); lengths 40 -> 19 -> 10 -> 5."""

    def __init__(self, width: float = 1.0) -> None:
        super().__init__()
        c = max(1, round(25 * width))
        self.conv1 = nn.Conv1d(1, c, 5, stride=2, padding=1)
        self.conv2 = nn.Conv1d(c, c, 3, stride=2, padding=1)
        self.conv3 = nn.Conv1d(c, c, 3, stride=2, padding=1)
        self.linear = nn.Linear(c * 5, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = x.unsqueeze(2)  # (batch, length, 1)
        for layer in (self.conv1, self.conv2, self.conv3):
            h = conv(h, layer).relu()
        return self.linear(h.transpose(1, 2).flatten(1))  # flattened channel-major, as the original


MODELS = {"cnn": CNN, "mlp": MLP}


def initialise(model: nn.Module, scheme: str) -> None:
    """PyTorch's default (Kaiming-uniform with a=sqrt(5)), Xavier-uniform, Kaiming-normal, or N(0, 0.01)."""
    if scheme == "default":
        return
    for module in model.modules():
        if isinstance(module, (nn.Linear, nn.Conv1d)):
            if scheme == "xavier":
                nn.init.xavier_uniform_(module.weight)
            elif scheme == "kaiming":
                nn.init.kaiming_normal_(module.weight, nonlinearity="relu")
            elif scheme == "small":
                nn.init.normal_(module.weight, std=0.01)
            else:
                raise ValueError(f"unknown init {scheme!r}")
            nn.init.zeros_(module.bias)
