using System.Collections;

namespace SlmOps.Torch.Modules;

/// <summary>An indexed list of child modules registered as "0", "1", ... (PyTorch's naming, so state dicts match).</summary>
public sealed class ModuleList<T> : torch.nn.Module, IReadOnlyList<T> where T : torch.nn.Module
{
    private readonly List<T> _items = [];

    public ModuleList(IEnumerable<T> modules) : base(nameof(ModuleList<T>))
    {
        foreach (var m in modules)
        {
            Add(m);
        }
    }

    public int Count => _items.Count;

    public T this[int index] => _items[index];

    public void Add(T module)
    {
        register_module(_items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module);
        _items.Add(module);
    }

    public IEnumerator<T> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
