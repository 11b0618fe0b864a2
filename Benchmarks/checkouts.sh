# Sourced by the benchmark scripts that build a throwaway driver package. checkout SCRATCH NAME prints the
# folder of package NAME (Yams, GRDB.swift) among the checkouts of the scratch path SCRATCH, which a build of
# the package has resolved; without it, it says how to get it and exits with status 2.
checkout() {
    local folder="$1/checkouts/$2"
    if [[ ! -d "$folder" ]]; then
        echo "no $2 checkout in $1: build the package once (swift build --scratch-path $1)" >&2
        exit 2
    fi
    echo "$folder"
}
