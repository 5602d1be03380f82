namespace SlmOps.Torch;
