using SlmOps.Torch.Serialization;

namespace SlmOps.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// Base of every layer, shaped like PyTorch's <c>nn.Module</c>: named children, parameters and buffers in
        /// registration order; dotted names; state dicts; train/eval; device and dtype moves; deterministic disposal.
        /// Parameters and buffers are detached from any dispose scope when registered: they belong to the module
        /// and are released by <see cref="Dispose()"/>, never by a training loop's scope.
        /// </summary>
        public abstract partial class Module : IDisposable
        {
            private readonly List<string> _parameterOrder = [];
            private readonly Dictionary<string, Tensor?> _parameters = [];
            private readonly List<string> _bufferOrder = [];
            private readonly Dictionary<string, Tensor> _buffers = [];
            private readonly List<(string Name, Module Module)> _modules = [];
            private bool _disposed;

            protected Module(string name)
            {
                GetName = name;
            }

            /// <summary>The module's type name (e.g. "Linear"), used in messages.</summary>
            public string GetName { get; }

            /// <summary>True after <see cref="train"/>, false after <see cref="eval"/>; modules start in training mode.</summary>
            public bool training { get; private set; } = true;

            public void register_module(string name, Module module)
            {
                CheckName(name);
                ArgumentNullException.ThrowIfNull(module);
                _modules.Add((name, module));
            }

            /// <summary>Registers (or replaces) a parameter; null registers the name with no tensor, as PyTorch allows.</summary>
            public void register_parameter(string name, Tensor? parameter)
            {
                CheckName(name, isParameter: true);
                if (parameter is not null)
                {
                    parameter.DetachFromDisposeScope();
                }
                if (!_parameters.ContainsKey(name))
                {
                    _parameterOrder.Add(name);
                }
                _parameters[name] = parameter;
            }

            public void register_buffer(string name, Tensor buffer)
            {
                CheckName(name, isBuffer: true);
                ArgumentNullException.ThrowIfNull(buffer);
                buffer.DetachFromDisposeScope();
                if (!_buffers.ContainsKey(name))
                {
                    _bufferOrder.Add(name);
                }
                _buffers[name] = buffer;
            }

            /// <summary>This module's own parameter by its local name; throws if absent, null if registered as null.</summary>
            protected Tensor? get_parameter(string name) =>
                _parameters.TryGetValue(name, out var p) ? p
                    : throw new KeyNotFoundException($"{GetName} has no parameter '{name}'");

            protected Tensor get_buffer(string name) =>
                _buffers.TryGetValue(name, out var b) ? b
                    : throw new KeyNotFoundException($"{GetName} has no buffer '{name}'");

            public IEnumerable<(string Name, Module Module)> named_children() => _modules;

            public IEnumerable<Module> children() => _modules.Select(m => m.Module);

            /// <summary>This module and every descendant, pre-order, with dotted names ("" for this module).</summary>
            public IEnumerable<(string Name, Module Module)> named_modules()
            {
                yield return ("", this);
                foreach (var (name, child) in _modules)
                {
                    foreach (var (sub, m) in child.named_modules())
                    {
                        yield return (sub.Length == 0 ? name : $"{name}.{sub}", m);
                    }
                }
            }

            /// <summary>
            /// Parameters with dotted names: each module's own parameters in registration order, then its children's,
            /// depth first (PyTorch's order). A tensor shared by two modules is listed once, under its first name.
            /// </summary>
            public IEnumerable<(string Name, Tensor Parameter)> named_parameters(bool recurse = true)
            {
                var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
                foreach (var (prefix, m) in recurse ? named_modules() : [("", this)])
                {
                    foreach (var name in m._parameterOrder)
                    {
                        var p = m._parameters[name];
                        if (p is not null && seen.Add(p))
                        {
                            yield return (Join(prefix, name), p);
                        }
                    }
                }
            }

            public IEnumerable<Tensor> parameters(bool recurse = true) => named_parameters(recurse).Select(p => p.Parameter);

            public IEnumerable<(string Name, Tensor Buffer)> named_buffers(bool recurse = true)
            {
                foreach (var (prefix, m) in recurse ? named_modules() : [("", this)])
                {
                    foreach (var name in m._bufferOrder)
                    {
                        yield return (Join(prefix, name), m._buffers[name]);
                    }
                }
            }

            public IEnumerable<Tensor> buffers(bool recurse = true) => named_buffers(recurse).Select(b => b.Buffer);

            /// <summary>Total number of parameter elements (shared tensors counted once).</summary>
            public long parameter_count() => parameters().Sum(p => p.numel());

            /// <summary>
            /// Parameters then buffers of each module, depth first, by dotted name. The tensors are the module's own
            /// (not copies): the caller must not dispose them, and in-place changes alter the module.
            /// </summary>
            public Dictionary<string, Tensor> state_dict()
            {
                var result = new Dictionary<string, Tensor>();
                foreach (var (prefix, m) in named_modules())
                {
                    foreach (var name in m._parameterOrder)
                    {
                        if (m._parameters[name] is { } p)
                        {
                            result.TryAdd(Join(prefix, name), p);
                        }
                    }
                    foreach (var name in m._bufferOrder)
                    {
                        result.TryAdd(Join(prefix, name), m._buffers[name]);
                    }
                }
                return result;
            }

            /// <summary>
            /// Copies values into this module's parameters and buffers (converting dtype/device as needed). Every
            /// key and shape is checked before anything is written, so a failed load leaves the module unchanged.
            /// With <paramref name="strict"/>, missing and unexpected keys are errors; otherwise they are returned.
            /// </summary>
            public (IReadOnlyList<string> MissingKeys, IReadOnlyList<string> UnexpectedKeys) load_state_dict(
                IReadOnlyDictionary<string, Tensor> stateDict, bool strict = true)
            {
                ArgumentNullException.ThrowIfNull(stateDict);
                var own = state_dict();
                var missing = own.Keys.Where(k => !stateDict.ContainsKey(k)).ToList();
                var unexpected = stateDict.Keys.Where(k => !own.ContainsKey(k)).ToList();
                var problems = StateDictFit.Problems(own, stateDict.ToDictionary(kv => kv.Key, kv => kv.Value.shape), strict);
                if (problems.Count > 0)
                {
                    throw new ArgumentException(
                        $"Error(s) in loading state_dict for {GetName}: {string.Join("; ", problems)}", nameof(stateDict));
                }
                using (torch.no_grad())
                {
                    foreach (var (key, target) in own)
                    {
                        if (stateDict.TryGetValue(key, out var source))
                        {
                            target.copy_(source);
                        }
                    }
                }
                return (missing, unexpected);
            }

            /// <summary>Sets training mode on this module and all descendants (affects Dropout and similar).</summary>
            public Module train(bool on = true)
            {
                foreach (var (_, m) in named_modules())
                {
                    m.training = on;
                }
                return this;
            }

            public Module eval() => train(false);

            /// <summary>Zeroes the accumulated gradients of all parameters in place (no-op for those without one).</summary>
            public void zero_grad()
            {
                foreach (var p in parameters())
                {
                    // Each read of grad is a new wrapper over the same gradient: release it at once.
                    using var g = p.grad;
                    g?.zero_();
                }
            }

            /// <summary>
            /// Moves parameters and buffers to <paramref name="device"/>. Parameter tensors are replaced (and the old
            /// ones disposed), so build optimizers after moving the module, as in PyTorch practice.
            /// </summary>
            public Module to(Device device) => Convert(t => t.to(device), floatingOnly: false);

            /// <summary>Casts floating-point parameters and buffers to <paramref name="dtype"/>; integer buffers are kept.</summary>
            public Module to(ScalarType dtype) => Convert(t => t.to(dtype), floatingOnly: true);

            /// <summary>Writes <see cref="state_dict"/> to a safetensors file that PyTorch can read.</summary>
            public void save(string path, IReadOnlyDictionary<string, string>? metadata = null) =>
                torch.save_safetensors(state_dict(), path, metadata);

            /// <summary>Loads a safetensors file written by <see cref="save"/> (or by PyTorch) into this module.</summary>
            public Module load(string path, bool strict = true)
            {
                var loaded = torch.load_safetensors(path);
                try
                {
                    load_state_dict(loaded, strict);
                }
                finally
                {
                    foreach (var t in loaded.Values)
                    {
                        t.Dispose();
                    }
                }
                return this;
            }

            public void Dispose()
            {
                Dispose(true);
                GC.SuppressFinalize(this);
            }

            protected virtual void Dispose(bool disposing)
            {
                if (_disposed || !disposing)
                {
                    return;
                }
                _disposed = true;
                foreach (var (_, child) in _modules)
                {
                    child.Dispose();
                }
                foreach (var p in _parameters.Values)
                {
                    p?.Dispose();
                }
                foreach (var b in _buffers.Values)
                {
                    b.Dispose();
                }
            }

            public override string ToString() => GetName;

            private Module Convert(Func<Tensor, Tensor> convert, bool floatingOnly)
            {
                foreach (var (_, m) in named_modules())
                {
                    foreach (var name in m._parameterOrder)
                    {
                        if (m._parameters[name] is not { } p || (floatingOnly && !IsFloating(p.dtype)))
                        {
                            continue;
                        }
                        Tensor moved;
                        using (torch.no_grad())
                        {
                            moved = convert(p);
                        }
                        if (ReferenceEquals(moved, p))
                        {
                            continue;
                        }
                        moved.requires_grad = p.requires_grad;
                        m._parameters[name] = moved;
                        moved.DetachFromDisposeScope();
                        p.Dispose();
                    }
                    foreach (var name in m._bufferOrder)
                    {
                        var b = m._buffers[name];
                        if (floatingOnly && !IsFloating(b.dtype))
                        {
                            continue;
                        }
                        var moved = convert(b);
                        if (!ReferenceEquals(moved, b))
                        {
                            m._buffers[name] = moved;
                            moved.DetachFromDisposeScope();
                            b.Dispose();
                        }
                    }
                }
                return this;
            }

            private static bool IsFloating(ScalarType t) =>
                t is ScalarType.Float32 or ScalarType.BFloat16 or ScalarType.Float16;

            private static string Join(string prefix, string name) => prefix.Length == 0 ? name : $"{prefix}.{name}";

            private void CheckName(string name, bool isParameter = false, bool isBuffer = false)
            {
                if (string.IsNullOrEmpty(name) || name.Contains('.'))
                {
                    throw new ArgumentException(
                        $"{GetName}: a child, parameter or buffer name must be non-empty and contain no '.': '{name}'");
                }
                // Re-registering a parameter or buffer under its own name replaces it; any other reuse is a bug.
                var taken = (_modules.Any(m => m.Name == name))
                    || (!isParameter && _parameters.ContainsKey(name))
                    || (!isBuffer && _buffers.ContainsKey(name));
                if (taken)
                {
                    throw new ArgumentException($"{GetName}: the name '{name}' is already taken");
                }
            }
        }

        /// <summary>A module with a typed forward, called as <c>module.call(x)</c> (or <c>forward</c> directly).</summary>
        public abstract class Module<TIn, TOut> : Module
        {
            protected Module(string name) : base(name) { }

            public abstract TOut forward(TIn input);

            public TOut call(TIn input) => forward(input);
        }
    }
}
