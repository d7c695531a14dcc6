%{ for i, p in parts }${p}%{ if i < 3 }.%{ endif }%{ endfor }/0
