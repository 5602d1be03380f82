namespace SlmOps.Data;
